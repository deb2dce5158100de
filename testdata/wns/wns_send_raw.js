// Sends one raw notification with the npm package "wns" (sendRaw), the
// way an app server does: client_id and client_secret, no access token, so
// the client first fetches one from login.live.com.
//
// usage: node --require ./resolve_local.js wns_send_raw.js READY_FILE PAYLOAD
'use strict';
const fs = require('fs');
const wns = require('wns');
const ready = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const payload = process.argv[3];
wns.sendRaw(ready.channelUri, payload, { client_id: ready.clientId, client_secret: ready.clientSecret }, (err, result) => {
  if (err) {
    console.error('wns error:', err.message, err.statusCode || '', JSON.stringify(err.headers || {}));
    process.exit(1);
  }
  console.log(JSON.stringify({ status: result.statusCode, newAccessToken: typeof result.newAccessToken, headers: result.headers }));
});
