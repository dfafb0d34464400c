import { Box, Card, Flex, Heading, Skeleton, Table, Text } from "@radix-ui/themes";
import type { ReactNode } from "react";

/** A studio page's body: its title (h1), actions on the right, then the content. */
export function Page({
  title,
  description,
  actions,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Box asChild px="5" py="5" mx="auto" style={{ maxWidth: 1100 }}>
      <main>
        <Flex align="center" gap="3" mb="4" wrap="wrap">
          <Box flexGrow="1">
            <Heading as="h1" size="6">
              {title}
            </Heading>
            {description && (
              <Text as="p" size="2" color="gray" mt="1">
                {description}
              </Text>
            )}
          </Box>
          {actions}
        </Flex>
        {children}
      </main>
    </Box>
  );
}

/** What a list shows when it has nothing yet: what it is for, and the one thing to do next. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Card size="3" variant="surface">
      <Flex direction="column" align="center" gap="2" py="4" style={{ textAlign: "center" }}>
        <Heading as="h2" size="3">
          {title}
        </Heading>
        {children && (
          <Text as="p" size="2" color="gray" style={{ maxWidth: 460 }}>
            {children}
          </Text>
        )}
        {action && <Box mt="2">{action}</Box>}
      </Flex>
    </Card>
  );
}

/** Rows of grey bars standing in for a table while it loads. */
export function TableSkeleton({ columns, rows = 3 }: { columns: number; rows?: number }) {
  return (
    <Table.Root variant="surface" aria-busy="true" aria-label="Loading">
      <Table.Body>
        {Array.from({ length: rows }, (_, row) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity.
          <Table.Row key={row}>
            {Array.from({ length: columns }, (_, column) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity.
              <Table.Cell key={column}>
                <Skeleton height="16px" />
              </Table.Cell>
            ))}
          </Table.Row>
        ))}
      </Table.Body>
    </Table.Root>
  );
}

/** The Radix colour of the studio's status tones (`ok`, `warn`, `danger`; anything else is grey). */
export function toneColor(tone: string | undefined): "green" | "amber" | "red" | "gray" {
  return tone === "ok" ? "green" : tone === "warn" ? "amber" : tone === "danger" ? "red" : "gray";
}

/** Grey blocks standing in for a page's content while it loads (announced as busy). */
export function PageSkeleton() {
  return (
    <Flex direction="column" gap="3" aria-busy="true" aria-label="Loading" role="status">
      <Skeleton height="28px" width="40%" />
      <Skeleton height="16px" width="70%" />
      <Skeleton height="120px" />
    </Flex>
  );
}
