"use client";

import { DropdownMenu, IconButton } from "@radix-ui/themes";
import { Monitor, Moon, Sun } from "lucide-react";
import { type AppearanceChoice, setAppearance, useAppearance } from "./appearance";

/** The shell's light / dark / system menu (a Radix DropdownMenu: arrow keys, Enter, Escape). */
export function ThemeToggle() {
  const { choice, mode } = useAppearance();
  const Icon = choice === "system" ? Monitor : mode === "dark" ? Moon : Sun;
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger>
        <IconButton variant="ghost" color="gray" aria-label={`Appearance: ${choice}`}>
          <Icon size={16} aria-hidden />
        </IconButton>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content align="end">
        <DropdownMenu.Label>Appearance</DropdownMenu.Label>
        <DropdownMenu.RadioGroup
          value={choice}
          onValueChange={(value) => setAppearance(value as AppearanceChoice)}
        >
          <DropdownMenu.RadioItem value="system">System</DropdownMenu.RadioItem>
          <DropdownMenu.RadioItem value="light">Light</DropdownMenu.RadioItem>
          <DropdownMenu.RadioItem value="dark">Dark</DropdownMenu.RadioItem>
        </DropdownMenu.RadioGroup>
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
