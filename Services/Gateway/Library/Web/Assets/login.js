// Fills the login form from a #token= link and submits it, then takes the token out of the address bar.
const match = location.hash.match(/^#token=([A-Za-z0-9_-]+)$/);
if (match) {
  history.replaceState(null, "", location.pathname);
  const form = document.getElementById("login");
  form.elements.token.value = match[1];
  form.submit();
}
