#!/usr/bin/env node
import { describeS3Error } from '../transfer/errors';
import { main } from './commands';

// Node 20 is what many machines have today; the SDK's nag about 2027 is for us, not for users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Piped stdout is written asynchronously: exiting at once would cut long listings short. */
function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (error: unknown) => {
    process.stderr.write(`bucketdrop: ${describeS3Error(error)}\n`);
    process.exit(1);
  },
);
