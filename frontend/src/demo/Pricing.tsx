import { Link } from "./router";

const PLANS = [
  { name: "Starter", price: "$0", points: ["3 notebooks", "1 member", "Search"] },
  { name: "Pro", price: "$8", points: ["Unlimited notebooks", "Decision log", "Offline mode"], featured: true },
  { name: "Team", price: "$20", points: ["Everything in Pro", "Shared spaces", "SSO"] },
];

/** On the home page a plan leads to the form below it; on its own page, to the signup page. */
export function Pricing({ onPage = false }: { onPage?: boolean }) {
  return (
    <section id="pricing" className="pricing">
      <h2>Pricing</h2>
      <div className="cards">
        {PLANS.map(({ name, price, points, featured }) => (
          <article key={name} className={featured ? "card featured" : "card"}>
            <h3>{name}</h3>
            <p className="price">
              {price}
              <span> / member / month</span>
            </p>
            <ul>
              {points.map((point) => (
                <li key={point}>{point}</li>
              ))}
            </ul>
            <Link
              to={onPage ? `/signup?plan=${name}` : "#signup"}
              className="button primary"
              data-track={`Choose plan: ${name}`}
              data-track-plan={name.toLowerCase()}
            >
              Choose {name}
            </Link>
          </article>
        ))}
      </div>
    </section>
  );
}
