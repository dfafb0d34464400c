import type { ConnectorDefinitionInput } from "@parley/contract";

/** Notion API (pages). https://developers.notion.com/reference/post-page */
export const notion = {
  id: "notion",
  name: "Notion",
  description: "Add a page (a row) to a Notion database.",
  docsUrl: "https://developers.notion.com/reference/intro",
  baseUrl: "https://api.notion.com/v1",
  headers: { "Notion-Version": "2022-06-28" },
  auth: {
    type: "bearer",
    alternatives: ["oauth2-authorization-code"],
    help: "An internal integration secret (notion.so/my-integrations); share the database with the integration.",
  },
  operations: [
    {
      id: "create-database-page",
      name: "Create page in database",
      description: "Creates a page in a database with a title and other properties; answers its id and URL.",
      method: "POST",
      path: "/pages",
      inputs: [
        { name: "databaseId", label: "Database id", required: true, in: "body" },
        { name: "title", label: "Title", required: true, in: "body" },
        { name: "titleProperty", label: "Title property", in: "body", default: "Name" },
        {
          name: "properties",
          label: "Other properties",
          type: "json",
          in: "body",
          help: 'Notion property values as JSON, e.g. {"Email": {"email": "{{ email }}"}}',
        },
      ],
      body: {
        encoding: "json",
        template:
          '{ "parent": { "database_id": databaseId }, "properties": $merge([properties ? properties : {}, { titleProperty: { "title": [{ "text": { "content": title } }] } }]) }',
      },
      response: '{ "id": id, "url": url }',
      docsUrl: "https://developers.notion.com/reference/post-page",
    },
  ],
} satisfies ConnectorDefinitionInput;
