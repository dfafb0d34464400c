/**
 * The widget's stylesheet, applied inside its shadow root. Sizes are in px (never rem/em from the
 * host) and `all: initial` on the root cuts inheritance from the host page, so hostile host CSS
 * (`* { all: unset }`, huge fonts) cannot reach in; nothing here can leak out.
 */
export const widgetCss = `
:host { all: initial !important; }
.frame { all: initial; box-sizing: border-box; font-family: var(--pw-font); font-size: 15px; line-height: 1.45;
  color: var(--pw-text); -webkit-font-smoothing: antialiased;
  --pw-bg: #ffffff; --pw-text: #1d2433; --pw-muted: #5b6475; --pw-surface: #f1f3f7; --pw-border: #d5dae3;
  --pw-error: #b42318; --pw-focus: #1a56db; }
.frame.dark { --pw-bg: #161b26; --pw-text: #eef1f6; --pw-muted: #a9b2c3; --pw-surface: #252c3b; --pw-border: #3a4355;
  --pw-error: #ff8a80; --pw-focus: #8ab4ff; }
.frame *, .frame *::before, .frame *::after { box-sizing: border-box; font: inherit; color: inherit; margin: 0; padding: 0; }
.floating { position: fixed; bottom: 20px; z-index: 2147483000; display: flex; flex-direction: column; align-items: flex-end; gap: 12px; }
.floating.right { right: 20px; }
.floating.left { left: 20px; align-items: flex-start; }
.inline { display: block; width: 100%; height: 100%; min-height: 360px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
button, input, a { outline: none; }
:focus-visible { outline: 3px solid var(--pw-focus) !important; outline-offset: 2px; }
.launcher { display: grid; place-items: center; width: 60px; height: 60px; border: 0; border-radius: 50%; cursor: pointer;
  background: var(--pw-primary); color: var(--pw-on-primary); box-shadow: 0 6px 20px rgba(0,0,0,.25); }
.window { display: flex; flex-direction: column; width: 380px; height: 600px; max-height: calc(100vh - 110px);
  max-width: calc(100vw - 40px); background: var(--pw-bg); color: var(--pw-text); border-radius: 16px; overflow: hidden;
  box-shadow: 0 12px 40px rgba(0,0,0,.25); border: 1px solid var(--pw-border); }
.inline .window { width: 100%; height: 100%; max-height: none; max-width: none; box-shadow: none; }
@media (max-width: 480px) { .floating .window { position: fixed; inset: 0; width: auto; height: auto; max-height: none; max-width: none; border-radius: 0; } }
.header { display: flex; align-items: center; gap: 10px; padding: 12px 14px; background: var(--pw-primary); color: var(--pw-on-primary); }
.avatar { width: 36px; height: 36px; border-radius: 50%; object-fit: cover; flex: none; }
.avatar.placeholder { display: grid; place-items: center; background: rgba(255,255,255,.22); font-weight: 700; }
.titles { flex: 1; min-width: 0; }
.title { display: block; font-size: 16px; font-weight: 700; line-height: 1.25; }
.subtitle { display: block; font-size: 13px; opacity: .92; }
.icon-button { display: grid; place-items: center; width: 36px; height: 36px; border: 0; border-radius: 8px; background: transparent; cursor: pointer; color: inherit; }
.icon-button:hover { background: rgba(255,255,255,.18); }
.banner { display: block; padding: 8px 14px; font-size: 14px; background: #fff4e5; color: #6b3a00; border-bottom: 1px solid #f5c98b; }
.messages { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 8px; background: var(--pw-bg); }
.row { display: flex; flex-direction: column; max-width: 100%; }
.row.bot { align-items: flex-start; }
.row.user { align-items: flex-end; }
.bubble { display: block; max-width: 85%; padding: 9px 12px; border-radius: 14px; background: var(--pw-surface); word-wrap: break-word; overflow-wrap: anywhere; }
.row.bot .bubble { border-bottom-left-radius: 4px; }
.row.user .bubble { background: var(--pw-primary); color: var(--pw-on-primary); border-bottom-right-radius: 4px; }
.row.user.failed .bubble { opacity: .7; }
.row.agent .bubble { border: 1px solid var(--pw-border); }
.bubble.media { padding: 4px; background: transparent; border: 1px solid var(--pw-border); }
.text p, p.text { display: block; white-space: pre-wrap; }
.text p + p, .text p + ul, .text p + ol, .text ul + p, .text ol + p { margin-top: 6px; }
.text ul, .text ol { display: block; padding-left: 20px; }
.text ul { list-style: disc; } .text ol { list-style: decimal; }
.text li { display: list-item; }
strong { font-weight: 700; } em { font-style: italic; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; background: rgba(127,127,127,.18); padding: 0 4px; border-radius: 4px; }
a { color: var(--pw-link); text-decoration: underline; cursor: pointer; }
.row.user a { color: inherit; }
.image { display: block; max-width: 100%; max-height: 260px; border-radius: 10px; }
.inline-image { display: block; max-width: 100%; max-height: 200px; border-radius: 8px; }
.card { display: block; width: 240px; max-width: 100%; }
.card .image { width: 100%; object-fit: cover; max-height: 140px; }
.card-body { padding: 8px; }
.card-title { display: block; font-weight: 700; }
.card-subtitle { display: block; font-size: 13px; color: var(--pw-muted); }
.card-buttons { display: flex; flex-direction: column; gap: 6px; padding: 0 8px 8px; }
.citations { display: block; margin-top: 6px; padding-left: 18px; font-size: 13px; list-style: decimal; }
.citations li { display: list-item; }
.meta { display: block; font-size: 12px; color: var(--pw-muted); margin-top: 2px; }
.failed-meta { color: var(--pw-error); }
.notice { display: block; align-self: center; text-align: center; font-size: 13px; color: var(--pw-muted); padding: 6px 10px;
  border-radius: 10px; background: var(--pw-surface); max-width: 90%; }
.notice.handoff { border: 1px dashed var(--pw-border); }
.typing { display: inline-flex; gap: 4px; align-items: center; padding: 12px 14px; }
.dot { display: block; width: 7px; height: 7px; border-radius: 50%; background: var(--pw-muted); animation: pw-blink 1.2s infinite ease-in-out; }
.dot:nth-child(3) { animation-delay: .2s; } .dot:nth-child(4) { animation-delay: .4s; }
@keyframes pw-blink { 0%, 80%, 100% { opacity: .3; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .dot { animation: none; } }
.streaming .text::after { content: "▍"; opacity: .6; }
.footer { display: block; border-top: 1px solid var(--pw-border); background: var(--pw-bg); padding: 10px; }
fieldset { border: 0; min-width: 0; }
.choices { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; }
.button { display: inline-block; padding: 8px 12px; border-radius: 18px; cursor: pointer; font-size: 14px; text-align: center; text-decoration: none; border: 1px solid var(--pw-primary-strong); }
.button.choice, .button.secondary { background: var(--pw-bg); color: var(--pw-primary-strong); }
.button.choice:hover, .button.secondary:hover { background: var(--pw-surface); }
.button.primary { background: var(--pw-primary); color: var(--pw-on-primary); border-color: var(--pw-primary); }
.button:disabled, .send:disabled { opacity: .55; cursor: default; }
.multi { display: block; margin-bottom: 8px; }
.multi fieldset { display: flex; flex-direction: column; gap: 4px; border: 0; margin-bottom: 8px; }
.check { display: flex; align-items: center; gap: 8px; cursor: pointer; }
.check input { all: revert; width: 18px; height: 18px; accent-color: var(--pw-primary); }
.composer { display: block; }
.composer-row { display: flex; gap: 8px; align-items: center; }
.composer input { display: block; flex: 1; min-width: 0; height: 42px; padding: 0 12px; border: 1px solid var(--pw-border); border-radius: 21px;
  background: var(--pw-bg); color: var(--pw-text); font-size: 15px; }
.composer input::placeholder { color: var(--pw-muted); opacity: 1; }
.composer input[aria-invalid="true"] { border-color: var(--pw-error); }
.hint { display: block; font-size: 13px; color: var(--pw-muted); margin: 0 4px 6px; }
.ask-notice { margin: 0 0 4px; font-size: 13px; color: var(--pw-muted); }
.error { display: block; font-size: 13px; color: var(--pw-error); margin: 0 4px 6px; }
.send { display: grid; place-items: center; width: 42px; height: 42px; flex: none; border: 0; border-radius: 50%; cursor: pointer;
  background: var(--pw-primary); color: var(--pw-on-primary); }
.link-button { display: inline; border: 0; background: none; color: inherit; text-decoration: underline; cursor: pointer; font-weight: 600; }
.ended { display: flex; flex-direction: column; gap: 8px; align-items: center; text-align: center; color: var(--pw-muted); }
.csat { display: flex; flex-direction: column; gap: 6px; align-items: center; width: 100%; }
.csat-scores { display: flex; gap: 4px; border: 0; padding: 0; margin: 0; }
.csat-star { background: none; border: 0; font-size: 22px; cursor: pointer; color: var(--pw-muted); }
.csat-star.on { color: #f5a623; }
.csat textarea { width: 100%; box-sizing: border-box; font: inherit; }
`;
