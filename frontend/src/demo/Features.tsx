const FEATURES = [
  { title: "Search everything", text: "Find any note by a word, a person or a date." },
  { title: "Decisions stand out", text: "Mark a line as a decision and it lands on the team's log." },
  { title: "Works offline", text: "Write on the train; Inkwell syncs when you are back." },
];

export function Features() {
  return (
    <section id="features" className="features">
      {FEATURES.map(({ title, text }) => (
        <article key={title} className="feature" data-track={`Feature: ${title}`}>
          <h3>{title}</h3>
          <p>{text}</p>
        </article>
      ))}
    </section>
  );
}
