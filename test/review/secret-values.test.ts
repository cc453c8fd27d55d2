/** What the review hides: secret-bearing attributes from synth outputs and plans, and how secret changes show. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../review/markdown';
import { diffResources } from '../../review/resource-diff';
import { buildReview } from '../../review/review';
import { isSecretAttribute, schemaSensitivePaths } from '../../review/secret-values';
import { indexSynth, type JsonObject } from '../../review/terraform-json';
import { planReview } from '../../review/terraform-plan';

const PROVIDERS = { libvirt: [{ alias: 'h1', uri: 'qemu+ssh://root@h1/system' }] };
const KEY = 'review-test-key-0123456789';

function stack(userData: string, fingerprint?: string, passwd = '${var.VNC}'): ReturnType<typeof indexSynth> {
  const variable: JsonObject = { type: 'string', sensitive: true, ...(fingerprint ? { '//': { hyperplan: { origin: 'env:PW', fingerprint } } } : {}) };
  const document: JsonObject = {
    provider: PROVIDERS,
    variable: { PW: variable, VNC: { type: 'string', sensitive: true, '//': { hyperplan: { origin: 'env:VNC', fingerprint: 'hmac-sha256:vnc' } } } },
    resource: {
      libvirt_cloudinit_disk: { h1_a_cloudinit: { name: 'a-cloudinit', user_data: userData, meta_data: 'instance-id: a\n', provider: 'libvirt.h1' } },
      libvirt_domain: { h1_a: { name: 'a', type: 'kvm', running: true, provider: 'libvirt.h1', devices: { graphics: [{ vnc: { passwd } }] } } },
    },
  };
  return indexSynth([{ name: 's', document }]);
}

const TEMPLATE = '#cloud-config\npassword: ${jsonencode(var.PW)}\n';

describe('review of secret-bearing attributes', () => {
  it('knows the attributes that carry secrets; provider 0.9.7 marks none sensitive in its schema', () => {
    // terraform-provider-libvirt v0.9.7: `git grep Sensitive v0.9.7 -- '*.go'` finds nothing, and the
    // snapshot derived from its docs has no `sensitive` flag.
    expect(schemaSensitivePaths('libvirt_domain').size).toBe(0);
    expect(isSecretAttribute('libvirt_cloudinit_disk', 'user_data')).toBe(true);
    expect(isSecretAttribute('libvirt_domain', 'devices.graphics.vnc.passwd')).toBe(true);
    expect(isSecretAttribute('libvirt_domain', 'devices.graphics')).toBe(true);
    expect(isSecretAttribute('libvirt_domain', 'memory')).toBe(false);
  });

  it('a changed user data template is hidden behind short digests', () => {
    const changes = diffResources(stack(TEMPLATE.replace('#cloud-config\n', '#cloud-config\npackages: [a]\n')), stack(TEMPLATE));
    const userData = changes[0]?.attributes[0];
    expect(userData).toMatchObject({ path: 'user_data', hidden: true, effect: 'replace' });
    expect(userData?.before).toMatch(/^[0-9a-f]{8}$/);
    expect(userData?.after).toMatch(/^[0-9a-f]{8}$/);
    expect(userData?.before).not.toBe(userData?.after);
  });

  it('a changed fingerprint with the same template is a change of user_data, named by the variable', () => {
    const review = buildReview({ base: { index: stack(TEMPLATE, 'hmac-sha256:old') }, head: { index: stack(TEMPLATE, 'hmac-sha256:new') }, digestKey: KEY });
    const reasons = review.vms.find((v) => v.vm === 'a')?.reasons ?? [];
    expect(reasons[0]).toMatch(/^cloud-init a-cloudinit: user_data: changed \(content hidden; digest [0-9a-f]{8} → [0-9a-f]{8}\) \(replace: a secret it uses changed \(var\.PW\); the seed ISO is rebuilt/);
    expect(review.notes).toEqual([]);
    const markdown = renderMarkdown(review);
    expect(markdown).not.toContain('jsonencode');
  });

  it('without fingerprints, secret values are not compared, and the review says so', () => {
    const review = buildReview({ base: { index: stack(TEMPLATE) }, head: { index: stack(TEMPLATE) } });
    expect(review.vms).toEqual([]);
    expect(review.notes).toEqual([expect.stringMatching(/^Secret values were not compared: 1 sensitive variable\(s\) carry no fingerprint\. Set HYPERPLAN_FINGERPRINT_KEY/)]);
  });

  it('a console password reference is hidden too', () => {
    const changes = diffResources(stack(TEMPLATE, 'x', '${var.VNC}'), stack(TEMPLATE, 'x', '${var.PW}'));
    expect(changes[0]?.attributes[0]).toMatchObject({ path: 'devices.graphics[0].vnc.passwd', hidden: true });
    expect(JSON.stringify(changes[0]?.attributes)).not.toContain('var.');
  });

  it('plan values: flagged paths and known secret attributes are hidden; digests only with a key', () => {
    const plan: JsonObject = {
      resource_changes: [
        {
          address: 'libvirt_cloudinit_disk.h1_a_cloudinit',
          mode: 'managed',
          type: 'libvirt_cloudinit_disk',
          name: 'h1_a_cloudinit',
          change: {
            actions: ['update'],
            before: { name: 'a-cloudinit', user_data: 'old-secret', network_config: 'n1' },
            after: { name: 'a-cloudinit', user_data: 'new-secret', network_config: 'n2' },
            after_unknown: {},
            before_sensitive: { user_data: true },
            after_sensitive: { user_data: true },
          },
        },
        {
          address: 'libvirt_network.h1_net',
          mode: 'managed',
          type: 'libvirt_network',
          name: 'h1_net',
          change: {
            actions: ['update'],
            before: { name: 'net', domain: 'old.example', bridge: 'open-old' },
            after: { name: 'net', domain: 'new.example', bridge: 'open-new' },
            after_unknown: {},
            before_sensitive: { domain: true },
            after_sensitive: { domain: true },
          },
        },
      ],
    };
    const unkeyed = planReview([{ stack: 'plan', document: plan }]);
    const text = JSON.stringify(unkeyed.changes.map((c) => c.attributes));
    for (const value of ['old-secret', 'new-secret', 'n1', 'n2', 'old.example', 'new.example']) expect(text).not.toContain(`"${value}"`);
    expect(unkeyed.changes.flatMap((c) => c.attributes).filter((a) => a.hidden).map((a) => [a.path, a.before, a.after])).toEqual([
      ['network_config', 'hidden', 'hidden'],
      ['user_data', 'hidden', 'hidden'],
      ['domain', 'hidden', 'hidden'],
    ]);
    // An attribute the plan does not flag is shown.
    expect(text).toContain('open-new');
    const keyed = planReview([{ stack: 'plan', document: plan }], KEY);
    const userData = keyed.changes[0]?.attributes.find((a) => a.path === 'user_data');
    expect(userData?.before).toMatch(/^[0-9a-f]{8}$/);
  });
});
