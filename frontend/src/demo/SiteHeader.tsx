import { Link } from "./router";

export function SiteHeader() {
  return (
    <header className="site-header">
      <Link to="/" className="brand" data-track="Home">
        Inkwell
      </Link>
      <nav aria-label="Main">
        <Link to="/#features">Features</Link>
        <Link to="/pricing">Pricing</Link>
        <Link to="/signup">Sign up</Link>
        <a href="/dashboard">Dashboard</a>
      </nav>
    </header>
  );
}
