import type { ComponentChildren } from "preact";
import { type Inline, parseMarkdown } from "../client/markdown";
import { useWidget } from "./context";

/** Renders bot text: markdown through the safe parser, or plain text with its line breaks. */
export function Markdown(props: { text: string; format?: "plain" | "markdown" | undefined }) {
  if (props.format !== "markdown") return <p class="text">{props.text}</p>;
  return (
    <div class="text">
      {parseMarkdown(props.text).map((block, index) =>
        block.type === "paragraph" ? (
          <p key={index}>
            <Inlines nodes={block.children} />
          </p>
        ) : block.ordered ? (
          <ol key={index}>
            {block.items.map((item, itemIndex) => (
              <li key={itemIndex}>
                <Inlines nodes={item} />
              </li>
            ))}
          </ol>
        ) : (
          <ul key={index}>
            {block.items.map((item, itemIndex) => (
              <li key={itemIndex}>
                <Inlines nodes={item} />
              </li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}

function Inlines(props: { nodes: Inline[] }): ComponentChildren {
  return props.nodes.map((node, index) => <InlineNode key={index} node={node} />);
}

function InlineNode(props: { node: Inline }) {
  const { images } = useWidget();
  const node = props.node;
  switch (node.type) {
    case "text":
      return <>{node.text}</>;
    case "break":
      return <br />;
    case "code":
      return <code>{node.text}</code>;
    case "strong":
      return (
        <strong>
          <Inlines nodes={node.children} />
        </strong>
      );
    case "em":
      return (
        <em>
          <Inlines nodes={node.children} />
        </em>
      );
    case "link":
      return (
        <a href={node.href} target="_blank" rel="noopener noreferrer nofollow">
          <Inlines nodes={node.children} />
        </a>
      );
    case "image": {
      const src = images.inText(node.src);
      if (src) return <img class="inline-image" src={src} alt={node.alt} referrerpolicy="no-referrer" />;
      // Not an approved origin: a link the visitor may choose to open, never an automatic request.
      return (
        <a href={node.src} target="_blank" rel="noopener noreferrer nofollow" class="image-link">
          {`Image: ${node.alt || node.src}`}
        </a>
      );
    }
  }
}
