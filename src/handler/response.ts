/** The only answer the handler ever gives Client VPN: allow, in the v2 shape. */
export interface ConnectResponse {
  readonly allow: true;
  readonly 'error-msg-on-denied-connection': '';
  readonly 'posture-compliance-statuses': readonly never[];
  readonly 'schema-version': 'v2';
}

/** A fresh object each time, so nothing downstream can mutate a shared answer. */
export function allowResponse(): ConnectResponse {
  return {
    allow: true,
    'error-msg-on-denied-connection': '',
    'posture-compliance-statuses': [],
    'schema-version': 'v2',
  };
}
