// Fills the login form from a #token= link and submits it, then takes the token out of the address bar (also when
// only the fragment changes, as when the link is opened on the login page itself).
function submitFromFragment() {
  const match = location.hash.match(/^#token=([A-Za-z0-9_-]+)$/);
  if (!match) return;
  history.replaceState(null, "", location.pathname);
  const form = document.getElementById("login");
  form.elements.token.value = match[1];
  form.submit();
}
submitFromFragment();
window.addEventListener("hashchange", submitFromFragment);
