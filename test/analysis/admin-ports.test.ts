import { describe, expect, it } from 'vitest';
import { ADMIN_PORTS, portClass, rangeExposure } from '../../src/analysis/admin-ports.js';

describe('port classes shared by the Kubernetes and Terraform network rules', () => {
  it('tells admin, web and other ports apart', () => {
    for (const p of [21, 22, 2049, 2379, 3389, 5432, 6379, 6443, 10250, 10255, 27017]) expect(portClass(p), String(p)).toBe('admin');
    expect(portClass(80)).toBe('web');
    expect(portClass(443)).toBe('web');
    expect(portClass(8080)).toBe('other');
    expect(portClass(22, { 2222: 'SSH' })).toBe('other');
    expect(ADMIN_PORTS[2375]).toMatch(/Docker/);
  });

  it('classifies ranges: admin ports inside, and whether anything else is open', () => {
    expect(rangeExposure(80, 80)).toEqual({ admin: [], other: false });
    expect(rangeExposure(443, 443)).toEqual({ admin: [], other: false });
    expect(rangeExposure(8080, 8080)).toEqual({ admin: [], other: true });
    expect(rangeExposure(22, 22)).toEqual({ admin: [{ port: 22, service: 'SSH' }], other: false });
    const all = rangeExposure(0, 65535);
    expect(all.other).toBe(true);
    expect(all.admin.map((p) => p.port)).toContain(3389);
    expect(rangeExposure(79, 81).other).toBe(true);
  });
});
