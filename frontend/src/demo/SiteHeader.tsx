export function SiteHeader() {
  return (
    <header className="site-header">
      <a className="brand" href="#top" aria-label="Inkwell home">
        Inkwell
      </a>
      <nav aria-label="Main">
        <a href="#features">Features</a>
        <a href="#pricing">Pricing</a>
        <a href="#signup">Sign up</a>
        <a href="/dashboard">Dashboard</a>
      </nav>
    </header>
  );
}
