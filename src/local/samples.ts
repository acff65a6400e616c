/** The sample Client VPN connect event (contract section 3) of the local run and the CLI. */
export const SAMPLE_EVENT = Object.freeze({
  'connection-id': 'cvpn-connection-0123456789abcdef0',
  'endpoint-id': 'cvpn-endpoint-0abc1234def567890',
  'common-name': 'alice.example.com',
  username: 'alice',
  platform: 'win',
  'platform-version': '10.0.19045',
  'public-ip': '203.0.113.10',
  'client-openvpn-version': '2.6.8',
  groups: 'admins,developers',
  'schema-version': 'v2',
});
