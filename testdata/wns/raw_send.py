"""Sends one raw notification to bgtask serve as WNS documents the request,
with Python's standard library only: an OAuth token from the token endpoint
(form-encoded client credentials), then a POST to the channel URI with
exactly the documented headers and the payload byte for byte.

usage: raw_send.py READY_FILE PAYLOAD_FILE
Prints the status and the X-WNS-* response headers as JSON.
"""
import http.client
import json
import ssl
import sys
import urllib.parse

ready = json.load(open(sys.argv[1]))
payload = open(sys.argv[2], "rb").read()
ctx = ssl.create_default_context(cafile=ready["ca"])

base = urllib.parse.urlsplit(ready["url"])
form = urllib.parse.urlencode({
    "grant_type": "client_credentials",
    "client_id": ready["clientId"],
    "client_secret": ready["clientSecret"],
    "scope": "notify.windows.com",
})
conn = http.client.HTTPSConnection(base.hostname, base.port, context=ctx, timeout=10)
conn.request("POST", "/accesstoken.srf", body=form,
             headers={"Content-Type": "application/x-www-form-urlencoded"})
resp = conn.getresponse()
token = json.loads(resp.read())
assert resp.status == 200 and token["token_type"] == "bearer", (resp.status, token)

channel = urllib.parse.urlsplit(ready["channelUri"])
conn.putrequest("POST", channel.path + "?" + channel.query, skip_accept_encoding=True)
conn.putheader("Authorization", "Bearer " + token["access_token"])
conn.putheader("Content-Type", "application/octet-stream")
conn.putheader("Content-Length", str(len(payload)))
conn.putheader("X-WNS-Type", "wns/raw")
conn.putheader("X-WNS-RequestForStatus", "true")
conn.endheaders(payload)
resp = conn.getresponse()
resp.read()
print(json.dumps({"status": resp.status,
                  "headers": {k.lower(): v for k, v in resp.getheaders() if k.lower().startswith("x-wns-")}}))
