/**
 * Prop validation as a table of condition → message (the aws-cdk-lib `validate-*-props.ts` shape): every
 * failing row is reported at once, when the construct is created, with the construct path in front.
 */
export interface PropCheck<P> {
  /** True when the props are wrong. */
  readonly fails: (props: P) => boolean;
  /** What is wrong, the value received, what is allowed, and how to fix it. */
  readonly message: (props: P) => string;
}

export function checkProps<P>(path: string, props: P, checks: readonly PropCheck<P>[]): void {
  const messages = checks.filter((check) => check.fails(props)).map((check) => check.message(props));
  if (messages.length > 0) throw new Error(`${path}: ${messages.join('; ')}`);
}
