import { safeLinkUrl } from "../client/markdown";
import type { OutgoingMessage } from "../client/types";
import { ImageMessage } from "./ImageMessage";

type Card = Extract<OutgoingMessage, { type: "card" }>;

/** A card: image, title, subtitle, and buttons that either answer (while live) or open a link. */
export function CardMessage(props: {
  card: Card;
  live: boolean;
  onChoose: (value: string, label: string) => void;
}) {
  const { card } = props;
  return (
    <div class="card">
      {card.imageUrl && <ImageMessage url={card.imageUrl} alt={card.title} />}
      <div class="card-body">
        <p class="card-title">{card.title}</p>
        {card.subtitle && <p class="card-subtitle">{card.subtitle}</p>}
      </div>
      {card.buttons.length > 0 && (
        <div class="card-buttons">
          {card.buttons.map((button) => {
            const href = button.url ? safeLinkUrl(button.url) : undefined;
            if (href)
              return (
                <a
                  key={button.label}
                  class="button secondary"
                  href={href}
                  target="_blank"
                  rel="noopener noreferrer"
                >
                  {button.label}
                </a>
              );
            return (
              <button
                key={button.label}
                type="button"
                class="button secondary"
                disabled={!props.live || button.value === undefined}
                onClick={() => button.value !== undefined && props.onChoose(button.value, button.label)}
              >
                {button.label}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
