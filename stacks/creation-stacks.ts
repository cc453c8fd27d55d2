/**
 * cdktf records a full stack trace for every token and every nested attribute object it creates
 * (`creationStack`, used only to annotate token-resolution errors). The generated libvirt bindings create
 * hundreds of such objects per domain, and under tsx each trace is also mapped through source maps, so at
 * fleet scale (20,000 VMs) the traces alone take minutes. Synthesis runs without them; errors thrown by
 * our own code keep their stack traces (V8 captures those without `Error.captureStackTrace`).
 */
export function withoutCreationStacks<T>(build: () => T): T {
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => undefined;
  try {
    return build();
  } finally {
    Error.captureStackTrace = capture;
  }
}
