import slackifyMarkdown from "slackify-markdown";

/** Text in Slack's mrkdwn: markdown converted (slackify-markdown), plain text escaped (`&`, `<`, `>`). */
export function slackText(text: string, format: "plain" | "markdown" = "plain"): string {
  if (format === "markdown") return slackifyMarkdown(text).replace(/\n+$/, "");
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A mention of the bot (`<@U123>`) removed from what a person typed. */
export function withoutMentions(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
