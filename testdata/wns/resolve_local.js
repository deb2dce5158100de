// Loaded with node --require: resolves the names real WNS clients
// hard-code (login.live.com, *.notify.windows.com) to 127.0.0.1, where the
// test's bgtask serve listens, inside this node process only. No system file
// (hosts) is touched.
'use strict';
const dns = require('dns');
const original = dns.lookup;
const local = (host) => host === 'login.live.com' || host === 'notify.windows.com' || /\.notify\.windows\.com$/.test(host);
dns.lookup = function (hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  if (!local(hostname)) {
    return original.call(dns, hostname, options, callback);
  }
  if (options && options.all) {
    return process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
  }
  return process.nextTick(callback, null, '127.0.0.1', 4);
};
