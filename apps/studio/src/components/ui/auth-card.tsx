import { Card, Flex, Heading } from "@radix-ui/themes";
import type { ReactNode } from "react";

/** The frame of the signed-out pages (sign in, sign up, reset, invitation): one card, centred. */
export function AuthCard({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Flex justify="center" px="4" py="9">
      <Card size="3" asChild style={{ width: "100%", maxWidth: 420 }}>
        <main>
          <Heading as="h1" size="5" mb="3">
            {title}
          </Heading>
          {children}
        </main>
      </Card>
    </Flex>
  );
}
