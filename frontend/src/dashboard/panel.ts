// One block of the page and what it is doing: loading, showing figures, empty, or failed.

export type PanelState = "loading" | "ready" | "empty" | "error";

export class Panel {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;

  constructor(id: string) {
    const element = document.getElementById(id);
    const status = element?.querySelector<HTMLElement>(".status");
    if (!element || !status) throw new Error(`the page has no panel #${id}`);
    this.element = element;
    this.status = status;
  }

  part<T extends Element>(selector: string): T {
    const found = this.element.querySelector<T>(selector);
    if (!found) throw new Error(`panel #${this.element.id} has no ${selector}`);
    return found;
  }

  show(state: PanelState, message = ""): void {
    this.element.dataset.state = state;
    this.status.textContent = message;
  }

  /** A line under the panel's heading on what its figures leave out; none when empty. */
  note(text: string): void {
    let note = this.element.querySelector<HTMLElement>(".coverage");
    if (!note) {
      note = document.createElement("p");
      note.className = "note coverage";
      this.status.before(note);
    }
    note.textContent = text;
    note.hidden = text === "";
  }

  /** Points the panel's CSV link at the same figures as a download. */
  linkCsv(href: string): void {
    const link = this.element.querySelector<HTMLAnchorElement>("a.csv");
    if (link) link.href = href;
  }
}
