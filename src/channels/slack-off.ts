/**
 * Why the Slack channel is off, or undefined when it is on. Its own module (no Slack client):
 * the connect handler's first stage asks it before deciding to read the token early.
 */
export function slackOffReason(setup: { readonly tokenSecret: boolean; readonly channel: string | undefined; readonly apiUrl: string | undefined }): string | undefined {
  return !setup.tokenSecret
    ? 'SLACK_TOKEN_SECRET_ID is not set'
    : !setup.channel
      ? 'SLACK_CHANNEL is not set'
      : !setup.apiUrl
        ? 'SLACK_API_URL was refused (see the configuration warning)'
        : undefined;
}
