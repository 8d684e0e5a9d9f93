// The sign-in page: says so when the token just given was not accepted.
import "./dashboard.css";

if (new URLSearchParams(window.location.search).get("login") === "failed") {
  const message = document.getElementById("login-failed");
  if (message) message.hidden = false;
}
