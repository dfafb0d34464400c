import { safeWebUrl } from "../client/markdown";
import { useWidget } from "./context";

/**
 * An image message. An image the policy refuses is shown as a link when its URL is http(s), and
 * as plain text otherwise (a `javascript:` or `data:` URL never becomes a clickable href).
 */
export function ImageMessage(props: { url: string; alt?: string | undefined }) {
  const { images } = useWidget();
  const src = images.authored(props.url);
  if (src)
    return <img class="image" src={src} alt={props.alt ?? ""} loading="lazy" referrerpolicy="no-referrer" />;
  const label = `Image: ${props.alt || props.url}`;
  const href = safeWebUrl(props.url);
  if (!href) return <span class="image-link">{label}</span>;
  return (
    <a class="image-link" href={href} target="_blank" rel="noopener noreferrer nofollow">
      {label}
    </a>
  );
}
