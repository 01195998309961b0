/** `npm run logs`: searches the local functions' logs. See LOGS_USAGE (`npm run logs -- --help`). */
import { functionNames } from '@shardline/contract';
import { LOGS_USAGE, LogsUsageError, parseLogsArgs, type LogsOptions } from './parseLogsArgs';
import { formatLine, readLogs } from './readLogs';

async function main(): Promise<number> {
  let options: LogsOptions;
  try {
    options = parseLogsArgs(process.argv.slice(2), Date.now());
  } catch (error) {
    if (!(error instanceof LogsUsageError)) throw error;
    console.error(`error: ${error.message}\n\n${LOGS_USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(LOGS_USAGE);
    return 0;
  }
  const functions = options.functions.length > 0 ? options.functions : functionNames;
  const { lines, missing } = await readLogs(options, functions);
  if (missing.length === functions.length) {
    console.error(`no logs in ${options.dir} for ${functions.join(', ')}: run \`npm start\` first`);
    return 1;
  }
  for (const line of lines) console.log(options.json ? line.text : formatLine(line));
  if (!options.json) {
    const absent = missing.length > 0 ? `; no log for ${missing.join(', ')}` : '';
    console.error(`${lines.length} line(s)${absent}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
