import type { Locator, Page } from '@playwright/test';

/** The public page a customer opens from the survey link. */
export class AnswerPage {
  readonly scale: Locator;

  constructor(private readonly page: Page) {
    this.scale = page.getByRole('radiogroup');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.scale.waitFor();
  }

  /** Only the keyboard: Tab into the scale, arrows to the score, Tab to "why?", Enter to send. */
  async answerByKeyboard(score: number, why: string): Promise<void> {
    await this.page.keyboard.press('Tab');
    for (let step = 0; step < score; step += 1) {
      await this.page.keyboard.press('ArrowRight');
    }
    await this.page.keyboard.press('Tab');
    await this.page.keyboard.type(why);
    await this.page.keyboard.press('Tab');
    await this.page.keyboard.press('Enter');
  }
}
