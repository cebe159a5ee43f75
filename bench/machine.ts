// What the figures were taken on.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from './browser.ts';
import { PROJECT } from './build.ts';
import { libxml2Version } from './native.ts';

export interface Machine {
  date: string;
  nproc: number;
  memoryGiB: number;
  cpu: string;
  node: string;
  chromium: string;
  libxml2: string;
  xmllintWasm: string;
  /** libxml2 inside xmllint.wasm, as the package's README names it. */
  xmllintWasmLibxml2: string;
  /** 1-minute load average when the run started and when it ended: others may share the machine. */
  loadStart: number;
  loadEnd?: number;
}

function packageVersion(name: string): string {
  const json = readFileSync(join(PROJECT, 'node_modules', name, 'package.json'), 'utf8');
  return (JSON.parse(json) as { version: string }).version;
}

export function describeMachine(): Machine {
  const nproc = Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || cpus().length;
  const chromium = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim();
  let wasmLibxml2 = 'unknown';
  try {
    const readme = readFileSync(join(PROJECT, 'node_modules', 'xmllint-wasm', 'README.md'), 'utf8');
    wasmLibxml2 = /libxml2 version is upgraded to v?([\d.]+\d)/.exec(readme)?.[1] ?? 'unknown';
  } catch {
    // the README is not part of every install
  }
  return {
    date: new Date().toISOString(),
    nproc,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    chromium: chromium.replace(/\s+built on.*$/, '') || 'unknown',
    libxml2: libxml2Version(),
    xmllintWasm: packageVersion('xmllint-wasm'),
    xmllintWasmLibxml2: wasmLibxml2,
    loadStart: loadavg()[0] ?? 0,
  };
}

export function loadNow(): number {
  return loadavg()[0] ?? 0;
}
