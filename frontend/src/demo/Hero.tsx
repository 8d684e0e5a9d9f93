export function Hero() {
  return (
    <section className="hero" id="top">
      <h1>Notes your whole team can find again.</h1>
      <p>Inkwell keeps meeting notes, decisions and to-dos in one searchable place.</p>
      <div className="actions">
        <a className="button primary" href="#signup">
          Start free trial
        </a>
        {/* data-track-name gives the click a stable name whatever the label says. */}
        <button type="button" className="button" data-track-name="Watch demo video">
          ▶ Watch the 2-minute demo
        </button>
      </div>
    </section>
  );
}
