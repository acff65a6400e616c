/** One JSON object per line on stdout, which Lambda sends to CloudWatch Logs as is. */
export type LogLine = Record<string, unknown> & { level: 'INFO' | 'WARN' | 'ERROR'; message: string };
export type Log = (line: LogLine) => void;

export const jsonLog: Log = (line) => {
  try {
    process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), ...line })}\n`);
  } catch {
    // Logging must never be the reason a connection is denied.
  }
};
