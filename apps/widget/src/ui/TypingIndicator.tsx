/** Three animated dots with a spoken label. */
export function TypingIndicator(props: { name: string }) {
  return (
    <div class="row bot" role="status">
      <div class="bubble typing">
        <span class="sr">{`${props.name} is typing`}</span>
        <span class="dot" aria-hidden="true" />
        <span class="dot" aria-hidden="true" />
        <span class="dot" aria-hidden="true" />
      </div>
    </div>
  );
}
