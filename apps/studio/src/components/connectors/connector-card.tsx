"use client";

import type { ConnectorView } from "@parley/contract";
import { Badge, Box, Button, Card, Code, Flex, Heading, Link, Text } from "@radix-ui/themes";

/** One connector in the gallery: name, auth badge, description and its operations with docs links. */
export function ConnectorCard({ connector, onUse }: { connector: ConnectorView; onUse: () => void }) {
  return (
    <Card size="2" asChild>
      <article data-testid={`connector-${connector.id}`} aria-labelledby={`connector-${connector.id}-name`}>
        <Flex direction="column" gap="2" height="100%">
          <Flex justify="between" align="center" gap="2">
            <Heading as="h2" size="3" id={`connector-${connector.id}-name`}>
              {connector.name}
            </Heading>
            <Badge color="gray" title="How it authenticates">
              {connector.auth.type}
              {connector.auth.optional ? " (optional)" : ""}
            </Badge>
          </Flex>
          <Text as="p" size="2" color="gray">
            {connector.description}
          </Text>
          <Box asChild flexGrow="1" pl="4" my="0">
            <ul>
              {connector.operations.map((operation) => (
                <Text as="div" size="2" key={operation.id} asChild>
                  <li>
                    <b>{operation.name}</b>{" "}
                    <Code variant="ghost" color="gray">
                      {operation.method} {operation.path}
                    </Code>{" "}
                    <Link href={operation.docsUrl} target="_blank" rel="noreferrer" underline="always">
                      docs
                    </Link>
                    <Text as="div" size="1" color="gray">
                      {operation.description}
                    </Text>
                  </li>
                </Text>
              ))}
            </ul>
          </Box>
          <Flex gap="3" align="center">
            <Button type="button" onClick={onUse}>
              Use {connector.name}
            </Button>
            <Link href={connector.docsUrl} target="_blank" rel="noreferrer" size="2">
              API documentation
            </Link>
          </Flex>
        </Flex>
      </article>
    </Card>
  );
}
