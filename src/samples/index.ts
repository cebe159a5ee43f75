// Sample checkpoints and VMs, from one seeded random: the app's examples, the files the e2e tests
// and the bench open, and the differential test's fake host. Pure TypeScript, as core is.
export type { Random } from './random.ts';
export { seededRandom } from './random.ts';
export { checkpointXml } from './checkpoint-xml.ts';
export type { GeneratedCheckpoint } from './chains.ts';
export {
  backupFolder,
  checkpointChain,
  EXAMPLE_CHAIN,
  EXAMPLE_WITH_ERRORS,
  runningGuestCheckpoint,
} from './chains.ts';
export type { TestHostVm } from './test-host.ts';
export { TEST_HOST_VMS, testHostXml } from './test-host.ts';
