/**
 * A Mermaid flowchart of the change: one subgraph per host that gains, loses or changes a VM, a node per
 * changed VM, and for moves an edge from where the VM was to where it lands, highlighted.
 */
import { compareText } from './terraform-json';
import type { Review, VmChange, VmChangeKind } from './types';

/** Beyond this many VM nodes the diagram stops being readable (and GitHub stops rendering it quickly). */
export const MAX_DIAGRAM_VMS = 150;

const CLASS_DEFS: Readonly<Record<VmChangeKind, string>> = {
  create: 'fill:#dcfce7,stroke:#16a34a',
  destroy: 'fill:#fee2e2,stroke:#dc2626',
  move: 'fill:#fef3c7,stroke:#d97706,stroke-width:3px',
  replace: 'fill:#ffedd5,stroke:#ea580c',
  restart: 'fill:#e0f2fe,stroke:#0284c7',
  update: 'fill:#f1f5f9,stroke:#64748b',
};

/** Mermaid labels are quoted; quotes and brackets inside them need entity codes. */
function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')}"`;
}

/** The flowchart source, or undefined when there is nothing to draw or too much to draw. */
export function renderMermaid(review: Review): string | undefined {
  const vms = review.vms;
  if (vms.length === 0 || vms.length > MAX_DIAGRAM_VMS) return undefined;
  const byHost = new Map<string, { node: string; vm: VmChange; ghost: boolean }[]>();
  const add = (host: string, entry: { node: string; vm: VmChange; ghost: boolean }): void => {
    const list = byHost.get(host);
    if (list) list.push(entry);
    else byHost.set(host, [entry]);
  };
  const edges: string[] = [];
  vms.forEach((vm, i) => {
    const node = `vm${i}`;
    if (vm.change === 'move' && vm.from !== undefined && vm.to !== undefined) {
      add(vm.from, { node: `${node}_was`, vm, ghost: true });
      add(vm.to, { node, vm, ghost: false });
      edges.push(`  ${node}_was ==>|${vm.migration ?? 'move'}| ${node}`);
    } else {
      add(vm.host, { node, vm, ghost: false });
    }
  });
  const lines = ['flowchart LR'];
  [...byHost.keys()].sort(compareText).forEach((host, h) => {
    lines.push(`  subgraph host${h}[${label(host)}]`);
    for (const { node, vm, ghost } of byHost.get(host) ?? []) {
      lines.push(`    ${node}[${label(ghost ? `${vm.vm} (was here)` : `${vm.vm}: ${vm.change}`)}]:::${ghost ? 'destroy' : vm.change}`);
    }
    lines.push('  end');
  });
  lines.push(...edges);
  const used = new Set<VmChangeKind>(vms.flatMap((vm) => (vm.change === 'move' ? ['move', 'destroy'] : [vm.change]) as VmChangeKind[]));
  for (const kind of Object.keys(CLASS_DEFS) as VmChangeKind[]) if (used.has(kind)) lines.push(`  classDef ${kind} ${CLASS_DEFS[kind]}`);
  return lines.join('\n');
}
