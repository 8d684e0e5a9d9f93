import { useState, type FormEvent } from "react";
import { useClickStream } from "../react";
import { navigate } from "./router";

/** On the home page a sign-up is thanked in place; on its own page it goes to checkout. */
export function SignupForm({ onPage = false }: { onPage?: boolean }) {
  const { track } = useClickStream();
  const [signedUp, setSignedUp] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    // A demo: no account is made. The click on "Create account" is recorded by itself; a valid
    // form is recorded by hand as well, so the dashboard can tell attempts from sign-ups.
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const plan = String(form.get("plan"));
    track(`Signed up: ${plan}`, { plan: plan.toLowerCase() });
    setSignedUp(String(form.get("email")));
    if (onPage) navigate(`/checkout?plan=${plan}`);
  };

  return (
    <section id="signup" className="signup">
      <h2>Create your account</h2>
      {signedUp ? (
        <p role="status">Thanks! We sent a confirmation to {signedUp}.</p>
      ) : (
        <form onSubmit={onSubmit}>
          <label>
            Work email
            <input name="email" type="email" required autoComplete="email" placeholder="you@company.com" />
          </label>
          <label>
            Plan
            <select name="plan" defaultValue={new URLSearchParams(location.search).get("plan") || "Pro"}>
              <option>Starter</option>
              <option>Pro</option>
              <option>Team</option>
            </select>
          </label>
          <button type="submit" className="button primary">
            Create account
          </button>
        </form>
      )}
    </section>
  );
}
