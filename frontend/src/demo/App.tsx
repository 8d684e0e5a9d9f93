import { Features } from "./Features";
import { Hero } from "./Hero";
import { Pricing } from "./Pricing";
import { PrivacyNotice } from "./PrivacyNotice";
import { SignupForm } from "./SignupForm";
import { SiteHeader } from "./SiteHeader";

/** A small product page for a made-up note-taking app: every click on it is recorded. */
export function App() {
  return (
    <>
      <SiteHeader />
      <main>
        <Hero />
        <Features />
        <Pricing />
        <SignupForm />
      </main>
      <PrivacyNotice />
    </>
  );
}
