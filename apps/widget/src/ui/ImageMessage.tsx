import { useWidget } from "./context";

/** An image message; an image the policy refuses is shown as a link. */
export function ImageMessage(props: { url: string; alt?: string | undefined }) {
  const { images } = useWidget();
  const src = images.authored(props.url);
  if (!src)
    return (
      <a class="image-link" href={props.url} target="_blank" rel="noopener noreferrer nofollow">
        {`Image: ${props.alt || props.url}`}
      </a>
    );
  return <img class="image" src={src} alt={props.alt ?? ""} loading="lazy" referrerpolicy="no-referrer" />;
}
