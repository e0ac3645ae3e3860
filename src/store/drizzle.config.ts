// drizzle-kit config: `npm run db:generate` writes SQL migrations next to the schema. Paths are relative
// to the repository root (where npm runs scripts).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.ts',
  out: './src/store/migrations',
  strict: true,
});
