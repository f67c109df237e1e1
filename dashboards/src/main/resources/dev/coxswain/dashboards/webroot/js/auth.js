// The dashboard's bearer token, kept for this tab only (sessionStorage: gone when the tab closes). The server asks
// for it (401) on calls that change anything, and on reads when dashboard.read.auth says so; the page then asks
// the user once and retries.
const KEY = 'coxswain.dashboard.token';
/** Whether the user dismissed the question: then it is not asked again on this page (polls would repeat it). */
let declined = false;

export function token() {
  return sessionStorage.getItem(KEY) || '';
}

export function setToken(t) {
  if (t) {
    sessionStorage.setItem(KEY, t);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

function send(url, options) {
  const headers = Object.assign({}, options.headers || {});
  if (token() && !headers.Authorization) {
    headers.Authorization = 'Bearer ' + token();
  }
  return fetch(url, Object.assign({}, options, { headers }));
}

/** fetch() with the tab's token; on a 401 it asks for the token once and tries again. */
export function apiFetch(url, options = {}) {
  const sent = token();
  return send(url, options).then(r => {
    if (r.status !== 401 || declined) {
      return r;
    }
    if (token() !== sent) {
      return send(url, options); // another call asked meanwhile
    }
    const given = window.prompt('This dashboard needs its token (dashboard.token, or the one its log printed '
      + 'at start):');
    if (!given) {
      declined = true;
      return r;
    }
    setToken(given.trim());
    return send(url, options);
  });
}

/** The live stream's address: an EventSource cannot send a header, so the token goes as access_token. */
export function streamUrl(path) {
  return token() ? path + '?access_token=' + encodeURIComponent(token()) : path;
}
