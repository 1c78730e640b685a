/** The heading every page starts with; the app moves focus to it on navigation. */
export function PageHead(props: { title: string; note?: string }) {
  return (
    <header class="page-head">
      <h1 id="page-title" tabIndex={-1}>
        {props.title}
      </h1>
      {props.note && <p class="note">{props.note}</p>}
    </header>
  );
}

/** A failure the page could not load past, announced to screen readers. */
export function ErrorNote(props: { error: string | undefined }) {
  if (!props.error) return null;
  return (
    <p class="error" role="alert">
      {props.error}
    </p>
  );
}
