import type { Locator, Page } from "playwright-core";

/**
 * Picks an option of a Radix Select (or any combobox button with a listbox popup) as a keyboard or
 * pointer user would: open it, then choose the option by its accessible name.
 */
export async function choose(page: Page, trigger: Locator | string, option: string | RegExp): Promise<void> {
  await (typeof trigger === "string" ? page.locator(trigger) : trigger).click();
  await page
    .getByRole("option", typeof option === "string" ? { name: option, exact: true } : { name: option })
    .click();
  await page.getByRole("listbox").waitFor({ state: "detached" });
}
