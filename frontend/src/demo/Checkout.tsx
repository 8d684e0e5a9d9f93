import { useState } from "react";

export function Checkout() {
  const plan = new URLSearchParams(location.search).get("plan") || "Pro";
  const [ordered, setOrdered] = useState(false);
  return (
    <section className="signup" id="checkout">
      <h2>Checkout</h2>
      {ordered ? (
        <p role="status">Order placed: Inkwell {plan}. Welcome aboard!</p>
      ) : (
        <>
          <p>Inkwell {plan}, billed monthly. Cancel any time.</p>
          <button
            type="button"
            className="button primary"
            data-track-plan={plan.toLowerCase()}
            onClick={() => setOrdered(true)}
          >
            Place order
          </button>
        </>
      )}
    </section>
  );
}
