import { Box, Flex, Heading, Text } from "@radix-ui/themes";
import type { ReactNode } from "react";

/**
 * A titled part of a page (an h2 with actions on the right, an optional line of explanation, then the
 * content); `id` makes it a target of the page's section links.
 */
export function Section({
  id,
  title,
  description,
  actions,
  children,
  "aria-label": ariaLabel,
  "data-testid": testId,
}: {
  id?: string;
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  /** Names a section without a visible title. */
  "aria-label"?: string;
  "data-testid"?: string;
}) {
  const titleId = id ? `${id}-title` : undefined;
  return (
    <Box asChild mt="6">
      <section
        id={id}
        style={{ scrollMarginTop: 56 }}
        aria-labelledby={title ? titleId : undefined}
        aria-label={title ? undefined : ariaLabel}
        data-testid={testId}
      >
        {(title || actions) && (
          <Flex align="center" gap="3" mb="3" wrap="wrap">
            {title && (
              <Heading as="h2" size="4" id={titleId}>
                {title}
              </Heading>
            )}
            <Box flexGrow="1" />
            {actions}
          </Flex>
        )}
        {description && (
          <Text as="p" size="2" color="gray" mb="3">
            {description}
          </Text>
        )}
        {children}
      </section>
    </Box>
  );
}
