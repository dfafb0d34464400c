import {
  BookOpen,
  CornerDownRight,
  Flag,
  GitBranch,
  Globe,
  Headset,
  type LucideIcon,
  MessageCircleQuestion,
  MessageSquare,
  Play,
  Sparkles,
  Split,
  Tags,
  Timer,
  Variable,
  Workflow,
} from "lucide-react";

/** The catalogue's lucide icon names, mapped to components (only these are bundled). */
const icons: Record<string, LucideIcon> = {
  play: Play,
  "message-square": MessageSquare,
  "message-circle-question": MessageCircleQuestion,
  "git-branch": GitBranch,
  variable: Variable,
  globe: Globe,
  sparkles: Sparkles,
  tags: Tags,
  "book-open": BookOpen,
  headset: Headset,
  workflow: Workflow,
  "corner-down-right": CornerDownRight,
  timer: Timer,
  split: Split,
  flag: Flag,
};

/** The icon of a catalogue entry (a neutral one for names not mapped here). */
export function NodeIcon({ name, size = 16 }: { name: string; size?: number }) {
  const Icon = icons[name] ?? Workflow;
  return <Icon size={size} aria-hidden="true" />;
}
