/** The Cella dashboard, served by the manager at `/`. */
import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { App } from './app.js';

render(<App />, document.getElementById('app')!);
