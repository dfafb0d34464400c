import type { Locator, Page } from "playwright-core";

/**
 * Picks an option of a Radix Select or of a cmdk Combobox by its accessible name: opens the control,
 * then, in a Select, moves focus to the option and presses Enter (as a keyboard user does: the list
 * may sit partly outside the viewport, where a pointer cannot reach); in a Combobox's list, clicks it.
 */
export async function choose(page: Page, trigger: Locator | string, option: string | RegExp): Promise<void> {
  await (typeof trigger === "string" ? page.locator(trigger) : trigger).click();
  const item = page.getByRole(
    "option",
    typeof option === "string" ? { name: option, exact: true } : { name: option },
  );
  await item.waitFor();
  if (await item.evaluate((element) => element.hasAttribute("cmdk-item"))) await item.dispatchEvent("click");
  else {
    await item.focus();
    await page.keyboard.press("Enter");
  }
  await page.getByRole("listbox").waitFor({ state: "detached" });
}
