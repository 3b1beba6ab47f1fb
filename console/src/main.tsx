import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { createConsoleClient } from './api/client.js';
import { App } from './app/app.js';
import { RouterProvider } from './app/router.js';
import { SessionProvider } from './app/session.js';
import './styles.css';

const { client } = createConsoleClient();
const root = document.getElementById('root');
if (root === null) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <Provider value={client}>
      <RouterProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </RouterProvider>
    </Provider>
  </StrictMode>,
);
