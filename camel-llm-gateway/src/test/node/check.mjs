// The Vercel AI SDK's default OpenAI path (createOpenAI({ baseURL })(model) calls POST /v1/responses) against
// the gateway: one generateText and one streamText, printed as one JSON line for the Java test to check.
// Usage: node check.mjs <baseURL> <apiKey> <model> <prompt>
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';

const [baseURL, apiKey, model, prompt] = process.argv.slice(2);
// every URL the SDK asks, so that the test sees which endpoint its default path takes
const paths = [];
const openai = createOpenAI({ baseURL, apiKey, fetch: (url, init) => {
  paths.push(new URL(url.toString()).pathname);
  return fetch(url, init);
} });

const plain = await generateText({ model: openai(model), prompt, maxRetries: 0 });
const streamed = streamText({ model: openai(model), prompt, maxRetries: 0 });
const deltas = [];
for await (const delta of streamed.textStream) {
  deltas.push(delta);
}
console.log(JSON.stringify({
  text: plain.text,
  finishReason: plain.finishReason,
  inputTokens: plain.usage.inputTokens,
  outputTokens: plain.usage.outputTokens,
  streamedText: deltas.join(''),
  deltas: deltas.length,
  streamedFinishReason: await streamed.finishReason,
  streamedInputTokens: (await streamed.usage).inputTokens,
  paths,
}));
