// No "use client": the root layout (a server component) inlines the script's text.

/** The `localStorage` key holding the user's appearance choice (`light`, `dark`; absent: follow the system). */
export const APPEARANCE_KEY = "parley-appearance";

/**
 * Runs in `<head>` before the first paint (see app/layout.tsx): puts `light` or `dark` on `<html>`
 * from the stored choice or the system's preference, so a dark page never flashes white. Radix
 * Themes (`<Theme appearance="inherit">`) reads that class. Kept as a string: it runs before React.
 */
export const APPEARANCE_SCRIPT = `(function(){try{var c=localStorage.getItem("${APPEARANCE_KEY}");var d=c==="dark"||(c!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;e.classList.remove("light","dark");e.classList.add(d?"dark":"light");e.style.colorScheme=d?"dark":"light";}catch(_){}})();`;
