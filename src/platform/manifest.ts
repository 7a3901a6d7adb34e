import { readFile } from 'node:fs/promises';
import semver from 'semver';
import { NAppManifestError } from '../errors/index.js';
import type { NAppManifest } from '../sdk/napp.js';

const ID = /^[a-z0-9_]+$/i;
const DEP = /^[a-z0-9_]+\/[a-z0-9_]+$/i;

/** Checks a manifest's shape and that it supports this Lattice version. */
export function checkManifest(value: unknown, where: string, latticeVersion: string): NAppManifest {
  const bad = (msg: string) => new NAppManifestError(where, msg);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('manifest must be a JSON object');
  const m = value as Record<string, unknown>;
  for (const key of ['username', 'name', 'version'] as const) {
    if (typeof m[key] !== 'string' || m[key] === '') throw bad(`"${key}" must be a non-empty string`);
  }
  if (!ID.test(m.username as string) || !ID.test(m.name as string)) throw bad('"username" and "name" take letters, digits and _ only');
  if (m.napp_dependencies !== undefined) {
    if (!Array.isArray(m.napp_dependencies) || m.napp_dependencies.some((d) => typeof d !== 'string' || !DEP.test(d))) {
      throw bad('"napp_dependencies" must be a list of "username/name"');
    }
  }
  if (m.lattice !== undefined) {
    if (typeof m.lattice !== 'string' || !semver.validRange(m.lattice)) throw bad('"lattice" must be a semver range');
    if (!semver.satisfies(latticeVersion, m.lattice, { includePrerelease: true })) {
      throw bad(`supports Lattice ${m.lattice}, this is ${latticeVersion}`);
    }
  }
  return m as unknown as NAppManifest;
}

export async function readManifest(file: string, latticeVersion: string): Promise<NAppManifest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new NAppManifestError(file, `cannot read manifest: ${(error as Error).message}`);
  }
  return checkManifest(parsed, file, latticeVersion);
}
