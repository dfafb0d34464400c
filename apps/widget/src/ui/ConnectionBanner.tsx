/** Tells the visitor the connection is lost (and being retried), with a manual retry once offline. */
export function ConnectionBanner(props: {
  connection: "online" | "reconnecting" | "offline";
  onRetry: () => void;
}) {
  if (props.connection === "online") return null;
  return (
    <div class="banner" role="alert">
      {props.connection === "reconnecting" ? (
        <span>Connection lost. Reconnecting…</span>
      ) : (
        <>
          <span>You appear to be offline.</span>{" "}
          <button type="button" class="link-button" onClick={props.onRetry}>
            Try again
          </button>
        </>
      )}
    </div>
  );
}
