import { Checkout } from "./Checkout";
import { Features } from "./Features";
import { Hero } from "./Hero";
import { Pricing } from "./Pricing";
import { PrivacyNotice } from "./PrivacyNotice";
import { SignupForm } from "./SignupForm";
import { usePath } from "./router";
import { SiteHeader } from "./SiteHeader";

/** The page for each path; the home page shows the whole product at once. */
function Page({ path }: { path: string }) {
  switch (path) {
    case "/pricing":
      return <Pricing onPage />;
    case "/signup":
      return <SignupForm onPage />;
    case "/checkout":
      return <Checkout />;
    default:
      return (
        <>
          <Hero />
          <Features />
          <Pricing />
          <SignupForm />
        </>
      );
  }
}

/** A small site for a made-up note-taking app (home, pricing, signup, checkout), its pages
 * changed without reloads: every click and page view on it is recorded. */
export function App() {
  const path = usePath();
  return (
    <>
      <SiteHeader />
      <main>
        <Page path={path} />
      </main>
      <PrivacyNotice />
    </>
  );
}
