import { METRICS } from '../base/contract.ts';
import { describeError } from '../base/errors.ts';
import type { Log } from '../base/log.ts';
import { emfFields } from '../base/metrics.ts';
import type { ConnectHandler } from './connect.ts';
import { allowResponse } from './response.ts';

/**
 * The connect handler when its init failed: every connection is still allowed (an init error
 * would deny them all), and each one logs why and counts as a failed notification, so the
 * NotificationFailures alarm sees it.
 */
export function initFailedHandler(error: unknown, log: Log): ConnectHandler {
  const reason = describeError(error);
  log({ level: 'ERROR', message: `connect handler init failed; connections are allowed without notifications: ${reason}` });
  return async () => {
    log({ level: 'ERROR', message: `client connect allowed without notification: init failed: ${reason}`, ...emfFields({ [METRICS.failures]: { value: 1, unit: 'Count' } }) });
    return allowResponse();
  };
}
