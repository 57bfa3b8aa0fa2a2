// Drives the browser page of docs/gateway.md in headless Chromium: asks twice, prints what the page shows.
// Run by check.sh; needs playwright-core (npm) and Debian's chromium.
const { chromium } = require('playwright-core');

(async () => {
  const page_url = process.argv[2];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // no background traffic: this machine has no internet
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run']
  });
  const page = await browser.newPage();
  page.on('console', m => console.log('browser console:', m.text()));
  await page.goto(page_url);
  for (const [question, expected] of [['Count to ten', '1, 2, 3, 4, 5, 6, 7, 8, 9, 10.'],
                                      ['Hello', 'Hello! How can I help you today?']]) {
    await page.fill('#q', question);
    await page.click('#go');
    await page.waitForFunction(e => document.getElementById('out').textContent === e, expected, { timeout: 15000 });
    console.log(`OK "${question}" -> "${await page.textContent('#out')}"`);
  }
  await browser.close();
})().catch(e => { console.error('FAILED', e.message); process.exit(1); });
